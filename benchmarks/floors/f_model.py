"""F_model: yaml and a pydantic model, built and used once (the floor of any pydantic CLI)."""
import yaml  # noqa: F401
from pydantic import BaseModel


class M(BaseModel):
    x: int


M(x=1)
