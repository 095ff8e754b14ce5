# Uncaught user-defined exception from a small hierarchy; defined in __main__, so no module prefix.
class InventoryError(Exception):
    pass
class OutOfStock(InventoryError):
    def __init__(self, item, wanted, have):
        super().__init__("out of stock: %s (wanted %d, have %d)" % (item, wanted, have))
        self.item = item
stock = {"bolt": 10, "nut": 2}
def take(item, n):
    if stock[item] < n:
        raise OutOfStock(item, n, stock[item])
    stock[item] -= n
    return stock[item]
try:
    take("nut", 5)
except InventoryError as e:
    print("handled:", e, "| item =", e.item)
print("bolt left", take("bolt", 4))
print("bolt left", take("bolt", 4))
print("bolt left", take("bolt", 4))
