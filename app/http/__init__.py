"""HTTP concerns shared by every route: dependencies, problem details, middleware, guards
(idempotency, rate limits, API keys), health."""
