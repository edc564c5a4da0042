"""Domain services of sales: every state change and computation a user can trigger."""
