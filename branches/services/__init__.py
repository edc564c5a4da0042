"""Domain services of branches: every state change and computation a user can trigger."""
