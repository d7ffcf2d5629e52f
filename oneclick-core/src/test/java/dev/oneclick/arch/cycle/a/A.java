package dev.oneclick.arch.cycle.a;

/** Half of a deliberate package cycle, so the test can show the rule fails on one. */
public class A {
    public dev.oneclick.arch.cycle.b.B b;
}
