/** The dashboard's entry point: defines every element (by importing the shell) and starts the live connection. */
import "./components/sh-app.ts";
