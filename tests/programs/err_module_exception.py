# Uncaught exception whose class lives in an imported module: the last stderr line is qualified with the module name.
import mod_geometry
print(mod_geometry.checked_sqrt(9))
print(mod_geometry.checked_sqrt(2.25))
print(mod_geometry.checked_sqrt(-1))
