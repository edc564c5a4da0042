"""One package per external system; each registers its streams with integrations.registry on import."""
