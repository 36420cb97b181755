class ConfigError(Exception):
    pass
def load():
    raise ConfigError("bad config value")
load()
