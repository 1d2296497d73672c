"""Geographic and service areas, by official code, in a hierarchy."""

from __future__ import annotations

from django.db import models

from saferboard.core.models.fields import optional_self_link


class AreaKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    FORCE = "force", "Police force area"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    WARD = "ward", "Ward"
    LSOA = "lsoa", "Lower layer super output area"
    SERVICE = "service", "Youth justice service"


class Area(models.Model):
    """An area by its official code (ONS GSS code where one exists).

    Local authority → ward → LSOA is the usual chain; LSOAs are also linked straight to
    their local authority so a crime's authority comes from its LSOA, never its force.
    """

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    parent = optional_self_link("children")

    class Meta:
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def ancestors(self) -> list[Area]:
        """Parents from the nearest upwards (guarding against accidental cycles)."""
        chain: list[Area] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain
