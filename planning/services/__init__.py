"""Domain services of planning: every state change and computation a user can trigger.

One module per concern: settings (effective settings), policy (the order-up-to math, no ORM), ledger
(stock movements and balances), purchasing, bom (validation, explosion, variants), production (tasks and
kanban), proposals (batch proposals with MRP, approve/reject) and health.
"""
