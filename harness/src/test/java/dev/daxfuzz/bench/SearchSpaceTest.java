package dev.daxfuzz.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peers' subset counts and the report's number formats. */
class SearchSpaceTest {
    @Test
    void subsetsUpToK() {
        assertEquals(BigInteger.ONE, SearchSpace.subsetsUpTo(0, 2));
        assertEquals(BigInteger.valueOf(1 + 10 + 45), SearchSpace.subsetsUpTo(10, 2));
        assertEquals(BigInteger.valueOf(8), SearchSpace.subsetsUpTo(3, 5), "k beyond w is every subset");
        assertEquals(BigInteger.ONE.shiftLeft(40), SearchSpace.subsetsUpTo(40, 40));
    }

    @Test
    void bigNumbersAndMedians() {
        assertEquals("999,999", BenchReport.big(BigInteger.valueOf(999_999)));
        assertEquals("1.1·10^20", BenchReport.big(new BigInteger("110680464442257311745")));
        assertEquals(2.5, Stats.median(List.of(4, 1, 3, 2)));
        assertEquals(3.0, Stats.median(List.of(3)));
    }
}
