// Placeholder: the emulator issue replaces this file.
