"""`python -m gradviz` is the `gradviz` command (useful where the script is not on PATH)."""
from .cli import main

if __name__ == "__main__":
    main(prog_name="gradviz")
