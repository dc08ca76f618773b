"""The demo world in the order it is built: the core (areas, organisations, people, groups),
then each part of the service on top of the parts it builds on.

Each seeder takes the world that demo.world.seed_core returns and is idempotent, so
``python manage.py seed_demo`` can run again and change nothing. The demo lives here, in the
development-only app, rather than in each domain app: production never loads it.
"""

from demo.actions import seed_actions
from demo.disclosure import seed_disclosure, seed_papers
from demo.meetings import seed_circulation, seed_meetings, seed_minutes
from demo.recommendations import seed_recommendations
from demo.returns import seed_returns

# After the core world: meetings and their minutes, the actions recorded in them, the action
# plan's recommendations (which name the actions serving them), then the areas' returns (which
# go to the NSG's meetings); last, the papers of the May 2017 meeting and the freedom-of-information
# request answered from all of it.
SEEDERS = [
    seed_meetings,
    seed_minutes,
    seed_circulation,
    seed_actions,
    seed_recommendations,
    seed_returns,
    seed_papers,
    seed_disclosure,
]


def seed_everything(world):
    for seeder in SEEDERS:
        seeder(world)
    return world
