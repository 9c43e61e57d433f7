#include <deal.II/base/utilities.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/base/parameters.h>
#include <mollifem/study/driver.h>
#include <mollifem/study/study.h>
#include <mollifem/study/sweep.h>

#include <boost/property_tree/json_parser.hpp>

#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

namespace mollifem
{
  namespace
  {
    const char *const usage =
      "Usage: mollifem FILE.prm            run the study described by FILE.prm\n"
      "       mollifem FILE.prm --resume   continue it from its last checkpoint\n"
      "                                    (Inverse problem/Stage 2/Checkpoint\n"
      "                                    interval)\n"
      "       mollifem --print-parameters [prm|markdown|json]\n"
      "                                    print every parameter with its\n"
      "                                    default, pattern and documentation\n"
      "       mollifem --help | --version\n"
      "Runs under mpirun -np N as well.\n";

    void
    declare_dimension(ParameterHandler &prm)
    {
      prm.declare_entry("Dimension",
                        "2",
                        Patterns::Integer(1, 3),
                        "Space dimension d of the problem (1, 2 or 3). Read "
                        "first: it selects the compiled variant that reads "
                        "the rest of the file.");
    }

    /// The dimension a parameter file asks for; other entries are skipped
    /// here and checked by the full parse.
    unsigned int
    read_dimension(const std::string &filename)
    {
      ParameterHandler prm;
      declare_dimension(prm);
      std::ifstream file(filename);
      AssertThrow(file.good(),
                  ExcFile(filename,
                          0,
                          "the parameter file does not exist or cannot be "
                          "read."));
      try
        {
          prm.parse_input(filename, "", /*skip_undefined=*/true);
        }
      catch (const std::exception &)
        {
          // Report the problem through the full parse, which knows every
          // entry and names the line.
          return 2;
        }
      return prm.get_integer("Dimension");
    }

    template <int dim>
    void
    run_study(const std::string &filename,
              const bool         resume,
              const MPI_Comm     communicator)
    {
      ParameterHandler prm;
      declare_all_parameters(prm, dim);
      Parameters::parse_file(prm, filename);
      SweepParameters sweep;
      sweep.parse_parameters(prm);
      if (sweep.active())
        {
          run_sweep<dim>(filename, sweep, resume, communicator);
          return;
        }
      Study<dim> study(prm, communicator);
      study.set_resume(resume);
      study.prepare();
      study.run();
    }

    /// deal.II stores names with special characters as _XX (hex).
    std::string
    demangle(const std::string &name)
    {
      std::string result;
      for (std::size_t i = 0; i < name.size(); ++i)
        if (name[i] == '_' && i + 2 < name.size() &&
            std::isxdigit(name[i + 1]) && std::isxdigit(name[i + 2]))
          {
            result += static_cast<char>(std::stoi(name.substr(i + 1, 2), nullptr, 16));
            i += 2;
          }
        else
          result += name[i];
      return result;
    }

    std::string
    escape_markdown_cell(const std::string &text)
    {
      std::string result;
      for (const char c : text)
        {
          if (c == '|')
            result += "\\|";
          else if (c == '\n')
            result += ' ';
          else
            result += c;
        }
      return result;
    }

    void
    write_markdown_section(const boost::property_tree::ptree &tree,
                           const std::string &                path,
                           std::ostream &                     out)
    {
      bool has_entries = false;
      for (const auto &[key, child] : tree)
        if (child.count("value") > 0)
          has_entries = true;

      if (has_entries)
        {
          out << "\n## " << (path.empty() ? "Top level" : path) << "\n\n"
              << "| Parameter | Default | Pattern | Documentation |\n"
              << "|---|---|---|---|\n";
          for (const auto &[key, child] : tree)
            if (child.count("value") > 0)
              out << "| " << escape_markdown_cell(demangle(key)) << " | `"
                  << escape_markdown_cell(child.get<std::string>("default_value"))
                  << "` | "
                  << escape_markdown_cell(
                       child.get<std::string>("pattern_description"))
                  << " | "
                  << escape_markdown_cell(child.get<std::string>("documentation"))
                  << " |\n";
        }
      for (const auto &[key, child] : tree)
        if (child.count("value") == 0 && !child.empty())
          write_markdown_section(child,
                                 (path.empty() ? "" : path + "/") +
                                   demangle(key),
                                 out);
    }
  } // namespace



  std::string
  version()
  {
    return "mollifem 0.1.0";
  }



  void
  declare_all_parameters(ParameterHandler &prm, const unsigned int dim)
  {
    declare_dimension(prm);
    switch (dim)
      {
        case 1:
          Study<1>::declare_parameters(prm);
          break;
        case 2:
          Study<2>::declare_parameters(prm);
          break;
        default:
          Study<3>::declare_parameters(prm);
      }
  }



  void
  print_parameters_markdown(const ParameterHandler &prm, std::ostream &out)
  {
    std::stringstream json;
    prm.print_parameters(json, ParameterHandler::JSON);
    boost::property_tree::ptree tree;
    boost::property_tree::read_json(json, tree);
    out << "# mollifem parameter reference\n\n"
        << "Generated by `mollifem --print-parameters markdown` (" << version()
        << "); do not edit. Every entry below can be set in a parameter file "
           "as `set Name = value` inside its subsection. Expressions are "
           "muparser expressions in x[,y[,z]] and t with the constant pi.\n";
    write_markdown_section(tree, "", out);
  }



  int
  run_driver(int argc, char **argv, const MPI_Comm communicator)
  {
    const bool root = Utilities::MPI::this_mpi_process(communicator) == 0;
    const std::vector<std::string> arguments(argv + 1, argv + argc);

    if (arguments.empty() ||
        (arguments[0].size() > 1 && arguments[0][0] == '-' &&
         arguments[0] != "--help" && arguments[0] != "-h" &&
         arguments[0] != "--version" && arguments[0] != "--print-parameters") ||
        arguments.size() > 2 ||
        (arguments.size() == 2 && arguments[0] != "--print-parameters" &&
         arguments[1] != "--resume"))
      {
        if (root)
          std::cerr << "mollifem: wrong command line.\n" << usage;
        return 2;
      }

    if (arguments[0] == "--help" || arguments[0] == "-h")
      {
        if (root)
          std::cout << version()
                    << ": recover coefficient fields of PDEs from noisy "
                       "data.\n\n"
                    << usage;
        return 0;
      }
    if (arguments[0] == "--version")
      {
        if (root)
          std::cout << version() << std::endl;
        return 0;
      }
    if (arguments[0] == "--print-parameters")
      {
        const std::string format =
          (arguments.size() == 2) ? arguments[1] : std::string("prm");
        ParameterHandler prm;
        declare_all_parameters(prm);
        if (!root)
          return 0;
        if (format == "markdown")
          print_parameters_markdown(prm, std::cout);
        else if (format == "json")
          prm.print_parameters(std::cout, ParameterHandler::JSON);
        else if (format == "prm")
          prm.print_parameters(std::cout, ParameterHandler::PRM);
        else
          {
            std::cerr << "mollifem: unknown format '" << format
                      << "' (prm, markdown or json).\n";
            return 2;
          }
        return 0;
      }

    const std::string &filename = arguments[0];
    const bool         resume   = arguments.size() == 2;
    try
      {
        const unsigned int dim = read_dimension(filename);
        switch (dim)
          {
            case 1:
              run_study<1>(filename, resume, communicator);
              break;
            case 2:
              run_study<2>(filename, resume, communicator);
              break;
            default:
              run_study<3>(filename, resume, communicator);
          }
      }
    catch (const std::exception &exception)
      {
        if (root)
          std::cerr << "mollifem: error: " << user_message(exception)
                    << std::endl;
        return 1;
      }
    return 0;
  }
} // namespace mollifem
