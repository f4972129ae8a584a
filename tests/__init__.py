"""The test suite: a package, so its modules import their shared helpers as ``tests.helpers``."""
