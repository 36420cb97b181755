# A construct stitch does not support yet must be named with its line.
x = 3
match x:
    case 3:
        print("three")
