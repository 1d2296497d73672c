from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "saferboard.tasks"
    label = "tasks"
    verbose_name = "Saferboard background workers"
