package dev.oneclick.arch.cycle.b;

/** The other half of the deliberate package cycle. */
public class B {
    public dev.oneclick.arch.cycle.a.A a;
}
