"""Background workers: the ``saferboard worker`` command, worker liveness, and settling
the tasks of a worker that stopped mid-task (docs/adr/0007-task-queue.md).

The queue itself is Django's tasks framework (``django_tasks``) with its database
backend (``django_tasks_db``); this app adds only what that backend leaves to its users:
telling a dead worker from a busy one, so a killed worker's task is retried or failed
instead of "running" for ever.
"""
