"""The simulator benchmark's two workloads in SimPy, for the speed ratio.

    python3 simpy_models.py [REQUESTS]

mm4: one M/M/4 station, mu = 1, lambda = 3.6. tandem: M/M/1 (mu = 10), then
M/M/8 (mu = 1), then 30% on to M/M/2 (mu = 1.2); lambda = 6.4. Model events
are arrivals plus service completions at every station, counted as they
happen. Works with SimPy 3/4 (`import simpy`) and with SimPy 2 (Debian's
python3-simpy, `SimPy.Simulation`). Prints the median of three runs.
"""
import random
import sys
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
STAGES = {
    "mm4": (3.6, [(4, 1.0, 1.0)]),
    "tandem": (6.4, [(1, 10.0, 1.0), (8, 1.0, 1.0), (2, 1.2, 0.3)]),
}


def run_modern(simpy, lam, stages):
    env = simpy.Environment()
    res = [(simpy.Resource(env, capacity=c), mu, p) for c, mu, p in stages]
    count = [0]

    def customer(env):
        for r, mu, p in res:
            if p < 1.0 and random.random() >= p:
                break
            with r.request() as req:
                yield req
                yield env.timeout(random.expovariate(mu))
            count[0] += 1

    def source(env):
        for _ in range(N):
            count[0] += 1
            env.process(customer(env))
            yield env.timeout(random.expovariate(lam))

    env.process(source(env))
    env.run()
    return count[0]


def run_classic(sim, lam, stages):
    sim.initialize()
    res = [(sim.Resource(capacity=c), mu, p) for c, mu, p in stages]
    count = [0]

    class Customer(sim.Process):
        def visit(self):
            for r, mu, p in res:
                if p < 1.0 and random.random() >= p:
                    break
                yield sim.request, self, r
                yield sim.hold, self, random.expovariate(mu)
                yield sim.release, self, r
                count[0] += 1

    class Source(sim.Process):
        def generate(self):
            for _ in range(N):
                count[0] += 1
                c = Customer()
                sim.activate(c, c.visit())
                yield sim.hold, self, random.expovariate(lam)

    s = Source()
    sim.activate(s, s.generate())
    sim.simulate(until=1e18)
    return count[0]


def main():
    try:
        import simpy

        version = getattr(simpy, "__version__", "3+")

        def run(lam, stages):
            return run_modern(simpy, lam, stages)

    except ImportError:
        import SimPy
        import SimPy.Simulation as sim

        version = getattr(SimPy, "__version__", "2")

        def run(lam, stages):
            return run_classic(sim, lam, stages)

    random.seed(1)
    for name, (lam, stages) in STAGES.items():
        rates = []
        for _ in range(3):
            t0 = time.perf_counter()
            events = run(lam, stages)
            rates.append(events / (time.perf_counter() - t0))
        rates.sort()
        print(
            "simpy %-7s %d requests  %.2f model events/request  median %.3f M model events/s"
            " (SimPy %s, Python %d.%d)"
            % (name, N, events / N, rates[1] / 1e6, version, sys.version_info[0], sys.version_info[1])
        )


main()
