-- wrk script: POSTs one JSON-RPC body, given in the environment variable RN_BODY.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("RN_BODY")
