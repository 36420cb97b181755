# Uncaught exception: traceback to stderr, exit code 1.
def divide(a, b):
    return a / b
def main():
    print("computing")
    return divide(1, 0)
main()
