"""Domain services of monitoring: every state change and computation a user can trigger."""
