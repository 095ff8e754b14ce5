# Uncaught UnboundLocalError: a local read before assignment (3.11 message wording).
counter = 10
def bump():
    print("before")
    counter += 1
    return counter
print("counter is", counter)
bump()
