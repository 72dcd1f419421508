-- Kiosks issuing tickets as fast as the server answers (closed loop), for wrk:
--   TOKEN=<kiosk token> wrk -t1 -cN -d5s --latency -s bench/issue.lua http://127.0.0.1:8000
-- (a kiosk device token: `turnero token create --role kiosk --name kiosk-1`).
wrk.method = "POST"
wrk.path = "/api/v1/tickets"
wrk.body = '{"service": "A"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
