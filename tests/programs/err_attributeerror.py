# Uncaught AttributeError on an instance (the attribute name is not close to any existing one).
class Widget:
    def __init__(self):
        self.width = 3
        self.height = 4
    def area(self):
        return self.width * self.height
w = Widget()
print("area", w.area())
print("width", w.width)
print(w.zzz_total_q)
