WHERE = "found through sys.path"
if __name__ == "__main__":
    print("not printed when imported")
