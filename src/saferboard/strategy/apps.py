from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "saferboard.strategy"
    label = "strategy"
    verbose_name = "Strategy"
