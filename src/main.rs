fn main() {
    std::process::exit(roamer::cli::main(std::env::args_os().skip(1).collect()));
}
