import sys

from generator.cli import main

if __name__ == "__main__":  # not when a worker process imports this module again (forkserver, spawn)
    sys.exit(main())
