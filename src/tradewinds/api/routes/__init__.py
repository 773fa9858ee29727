"""One module per domain; each defines ``router`` (an APIRouter) and is included automatically."""
