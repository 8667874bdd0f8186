"""The stack's ceiling: a bare FastAPI endpoint under the same server settings as newsdb."""

import orjson
from fastapi import FastAPI, Response

app = FastAPI()


@app.get("/hello")
async def hello() -> Response:
    return Response(orjson.dumps({"hello": "world"}), media_type="application/json")
