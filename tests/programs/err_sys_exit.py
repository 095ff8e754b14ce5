# sys.exit(3): exit status 3, nothing on stderr, finally blocks still run.
import sys
print("working")
def finish(code):
    try:
        print("exiting with", code)
        sys.exit(code)
    finally:
        print("cleanup in finally")
finish(3)
print("not reached")
