"""The planner's workbench: the screens a planner opens every morning, inside the Django admin site.

The top floor: it reads every app and changes nothing itself. Every decision on these screens calls the
same service function as the API (planning.services.proposals, planning.services.production), so the rules
and their refusals are identical; a refusal is shown as the service's message, never a 500.
"""
