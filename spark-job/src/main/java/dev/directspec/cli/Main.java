package dev.directspec.cli;
public class Main { public static void main(String[] a) {} }
