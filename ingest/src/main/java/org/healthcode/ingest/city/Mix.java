package org.healthcode.ingest.city;

/**
 * Stateless, seeded hashing (SplitMix64 finaliser): every attribute of the city is a pure function of the seed
 * and its coordinates, so nothing per person has to be stored and any part can be recomputed in any order.
 */
final class Mix {
    private Mix() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long hash(long seed, long tag, long a, long b) {
        return mix(mix(mix(mix(seed) + tag) + a) + b);
    }

    /** Uniform in [0, 1). */
    static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, n). */
    static int below(long h, int n) {
        return (int) Math.floorMod(h, (long) n);
    }
}
