"""Domain services of integrations: every state change and computation a user can trigger."""
