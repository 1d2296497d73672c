"""Test settings: Saferboard's settings in test mode, outside integrations switched off."""

import os

os.environ["SABO_MODE"] = "test"
os.environ.pop("DEBUG", None)

from saferboard.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
AXES_ENABLED = True
# The ordinary suite runs background work at once, in the request that queues it; the
# worker-process tests (tests/tasks, tests/faults) use the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
