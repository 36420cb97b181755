# Gap: argparse.
import argparse
p = argparse.ArgumentParser()
p.add_argument("--n", type=int, default=3)
print(p.parse_args([]).n)
