# Uncaught chained exception (raise ... from ...): the last stderr line is the outer exception.
class ConfigError(Exception):
    pass
def read_port(cfg):
    try:
        return int(cfg["port"])
    except (KeyError, ValueError) as e:
        raise ConfigError("invalid port setting: %r" % (cfg.get("port"),)) from e
print(read_port({"port": "8080"}))
try:
    read_port({})
except ConfigError as e:
    print("handled:", e, "| cause:", type(e.__cause__).__name__)
print(read_port({"port": "eighty"}))
