"""The words the pages show for the codes the API returns: pause reasons, roles, weekdays,
months and the "people ahead" wording. Defined once here and served by GET /api/v1/labels,
so no page keeps its own copy. Plain data, no imports beyond the other pure rules."""

from __future__ import annotations

from server.queue.hours import MONTHS_ES, WEEKDAYS, WEEKDAYS_ES

PAUSE_REASONS = {"break": "Descanso", "lunch": "Almuerzo", "other_task": "Otra tarea",
                 "other": "Otro motivo"}
#: Staff roles first, then device roles (the admin pages list them in this order).
ROLE_NAMES = {"clerk": "Funcionario de ventanilla", "supervisor": "Supervisor",
              "admin": "Administrador", "kiosk": "Quiosco", "display": "Pantalla",
              "survey": "Tableta de encuesta"}
#: ``monday`` → ``Lunes``: the keys of the office configuration's [hours].
WEEKDAY_NAMES = {key: name.capitalize() for key, name in zip(WEEKDAYS, WEEKDAYS_ES, strict=True)}
MONTH_NAMES = MONTHS_ES
#: How many people are ahead of a waiting ticket, as a sentence and as a short fact; ``{n}``
#: is the number. Keys are the plural categories the pages pick from (0, 1, more).
PEOPLE_AHEAD = {"zero": "Usted es el siguiente. Esté atento al llamado.",
                "one": "Hay 1 persona antes que usted.",
                "other": "Hay {n} personas antes que usted."}
PEOPLE_AHEAD_SHORT = {"zero": "Nadie: usted es el siguiente", "one": "1 persona",
                      "other": "{n} personas"}
