# raise SystemExit("msg"): the message goes to stderr and the exit status is 1.
print("checking configuration")
config = {"mode": "fast"}
if "path" not in config:
    raise SystemExit("fatal: configuration has no 'path' entry")
print("not reached")
