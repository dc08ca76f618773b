"""The core domain: areas, organisations, people, bodies and memberships; roles and access; the shared kit."""
