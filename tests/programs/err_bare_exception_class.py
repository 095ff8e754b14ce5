# Uncaught exception raised as a bare class with no arguments: the last stderr line is just the class name.
class Halt(Exception):
    pass
def run(steps):
    for s in range(steps):
        print("step", s)
        if s == 2:
            raise Halt
run(5)
