import ArgumentParser
print("ferry")
