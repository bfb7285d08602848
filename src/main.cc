#include "cli/app.h"

int main(int argc, char** argv) { return lq::cli::Main(argc, argv); }
