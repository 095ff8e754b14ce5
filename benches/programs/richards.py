# richards.py -- Martin Richards' operating-system scheduler simulation.
#
# Usage: richards.py [RUNS]
# Six tasks (idle, worker, two handlers, two devices) pass packets between
# each other under a priority scheduler.  Each run uses an idle-task count of
# 10000, which must give 23246 packet sends and 9297 holds.  Output: the
# totals over all runs and whether every run gave the expected counts.
import sys

IDLE_COUNT = 10000
EXPECTED_QUEUED = 23246
EXPECTED_HELD = 9297

ID_IDLE = 1
ID_WORKER = 2
ID_HANDLER_A = 3
ID_HANDLER_B = 4
ID_DEVICE_A = 5
ID_DEVICE_B = 6
NUM_TASKS = 6

KIND_DEVICE = 0
KIND_WORK = 1

DATA_SIZE = 4

# task state bits
PACKET_PENDING = 1
WAITING = 2
HELD = 4


class Packet:
    def __init__(self, link, dest, kind):
        self.link = link
        self.dest = dest
        self.kind = kind
        self.value = 0
        self.data = [0] * DATA_SIZE


def append_packet(queue, packet):
    # Append packet to the end of queue; return the new head.
    packet.link = None
    if queue is None:
        return packet
    p = queue
    while p.link is not None:
        p = p.link
    p.link = packet
    return queue


class Task:
    def __init__(self, system, ident, priority, queue, state):
        self.system = system
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.state = state
        self.next = system.task_list
        system.task_list = self
        system.tasks[ident] = self

    def ready_to_run(self):
        # Runnable if not held, and either not waiting or waiting with a packet.
        s = self.state
        if s & HELD:
            return False
        if s & WAITING:
            return (s & PACKET_PENDING) != 0
        return True

    def take_packet(self):
        packet = self.queue
        self.queue = packet.link
        if self.queue is None:
            self.state = 0
        else:
            self.state = PACKET_PENDING
        return packet

    def step(self, packet):
        raise NotImplementedError


class IdleTask(Task):
    def __init__(self, system, count):
        Task.__init__(self, system, ID_IDLE, 0, None, 0)
        self.seed = 1
        self.count = count

    def step(self, packet):
        self.count -= 1
        if self.count == 0:
            return self.system.hold_current()
        if self.seed & 1 == 0:
            self.seed = self.seed >> 1
            return self.system.release(ID_DEVICE_A)
        self.seed = (self.seed >> 1) ^ 0xD008
        return self.system.release(ID_DEVICE_B)


class WorkerTask(Task):
    def __init__(self, system, queue):
        Task.__init__(self, system, ID_WORKER, 1000, queue, WAITING | PACKET_PENDING)
        self.target = ID_HANDLER_A
        self.letter = 0

    def step(self, packet):
        if packet is None:
            return self.system.wait_current()
        if self.target == ID_HANDLER_A:
            self.target = ID_HANDLER_B
        else:
            self.target = ID_HANDLER_A
        packet.dest = self.target
        packet.value = 0
        for i in range(DATA_SIZE):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            packet.data[i] = self.letter
        return self.system.send(packet)


class HandlerTask(Task):
    def __init__(self, system, ident, priority, queue):
        Task.__init__(self, system, ident, priority, queue, WAITING | PACKET_PENDING)
        self.work = None
        self.devices = None

    def step(self, packet):
        if packet is not None:
            if packet.kind == KIND_WORK:
                self.work = append_packet(self.work, packet)
            else:
                self.devices = append_packet(self.devices, packet)
        work = self.work
        if work is not None:
            index = work.value
            if index >= DATA_SIZE:
                self.work = work.link
                return self.system.send(work)
            device = self.devices
            if device is not None:
                self.devices = device.link
                device.value = work.data[index]
                work.value = index + 1
                return self.system.send(device)
        return self.system.wait_current()


class DeviceTask(Task):
    def __init__(self, system, ident, priority):
        Task.__init__(self, system, ident, priority, None, WAITING)
        self.pending = None
        self.checksum = 0

    def step(self, packet):
        if packet is None:
            pending = self.pending
            if pending is None:
                return self.system.wait_current()
            self.pending = None
            return self.system.send(pending)
        self.pending = packet
        self.checksum = (self.checksum * 31 + packet.value) % 1000003
        return self.system.hold_current()


class System:
    def __init__(self):
        self.task_list = None
        self.tasks = [None] * (NUM_TASKS + 1)
        self.current = None
        self.queued = 0
        self.held = 0

    def hold_current(self):
        self.held += 1
        cur = self.current
        cur.state |= HELD
        return cur.next

    def wait_current(self):
        cur = self.current
        cur.state |= WAITING
        return cur

    def release(self, ident):
        task = self.tasks[ident]
        task.state &= ~HELD
        if task.priority > self.current.priority:
            return task
        return self.current

    def send(self, packet):
        task = self.tasks[packet.dest]
        self.queued += 1
        packet.link = None
        packet.dest = self.current.ident
        if task.queue is None:
            task.queue = packet
            task.state |= PACKET_PENDING
            if task.priority > self.current.priority:
                return task
        else:
            task.queue = append_packet(task.queue, packet)
        return self.current

    def run(self):
        task = self.task_list
        while task is not None:
            if task.ready_to_run():
                packet = None
                if task.state == WAITING | PACKET_PENDING:
                    packet = task.take_packet()
                self.current = task
                task = task.step(packet)
            else:
                task = task.next


def run_once():
    system = System()
    IdleTask(system, IDLE_COUNT)

    queue = Packet(None, 0, KIND_WORK)
    queue = Packet(queue, 0, KIND_WORK)
    WorkerTask(system, queue)

    queue = Packet(None, ID_DEVICE_A, KIND_DEVICE)
    queue = Packet(queue, ID_DEVICE_A, KIND_DEVICE)
    queue = Packet(queue, ID_DEVICE_A, KIND_DEVICE)
    HandlerTask(system, ID_HANDLER_A, 2000, queue)

    queue = Packet(None, ID_DEVICE_B, KIND_DEVICE)
    queue = Packet(queue, ID_DEVICE_B, KIND_DEVICE)
    queue = Packet(queue, ID_DEVICE_B, KIND_DEVICE)
    HandlerTask(system, ID_HANDLER_B, 3000, queue)

    DeviceTask(system, ID_DEVICE_A, 4000)
    DeviceTask(system, ID_DEVICE_B, 5000)

    system.run()
    checksum = system.tasks[ID_DEVICE_A].checksum * 7 + system.tasks[ID_DEVICE_B].checksum
    return system.queued, system.held, checksum


def main():
    runs = 50
    if len(sys.argv) > 1:
        runs = int(sys.argv[1])
    total_queued = 0
    total_held = 0
    all_ok = True
    checksum = 0
    for _ in range(runs):
        queued, held, checksum = run_once()
        total_queued += queued
        total_held += held
        if queued != EXPECTED_QUEUED or held != EXPECTED_HELD:
            all_ok = False
    print(f"runs: {runs}")
    print(f"packets queued: {total_queued}, holds: {total_held}, device checksum: {checksum}")
    if all_ok:
        print("result: ok")
    else:
        print("result: WRONG")


main()
