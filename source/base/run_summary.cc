#include <deal.II/base/utilities.h>

#include <mollifem/base/files.h>
#include <mollifem/base/run_summary.h>

#include <boost/property_tree/json_parser.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace mollifem
{
  double
  peak_memory_mib()
  {
    Utilities::System::MemoryStats stats;
    Utilities::System::get_memory_stats(stats);
    return stats.VmHWM / 1024.;
  }



  double
  resident_memory_mib()
  {
    Utilities::System::MemoryStats stats;
    Utilities::System::get_memory_stats(stats);
    return stats.VmRSS / 1024.;
  }



  namespace
  {
    /// @p text as a JSON string, quoted and escaped (keys are always
    /// strings).
    std::string
    json_string(const std::string &text)
    {
      std::string quoted = "\"";
      for (const char c : text)
        switch (c)
          {
            case '"':
              quoted += "\\\"";
              break;
            case '\\':
              quoted += "\\\\";
              break;
            case '\n':
              quoted += "\\n";
              break;
            case '\t':
              quoted += "\\t";
              break;
            default:
              if (static_cast<unsigned char>(c) < 0x20)
                quoted += ' ';
              else
                quoted += c;
          }
      return quoted + "\"";
    }

    /// A ptree leaf as a JSON value: numbers and booleans bare, the rest as
    /// strings (property_tree's own writer quotes everything).
    std::string
    json_value(const std::string &text)
    {
      if (text == "true" || text == "false")
        return text;
      char *       end   = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (!text.empty() && *end == '\0' && std::isfinite(value) &&
          text.find_first_of("xX") == std::string::npos)
        return text;
      return json_string(text);
    }

    void
    write_json(std::ostream &                     out,
               const boost::property_tree::ptree &tree,
               const unsigned int                 indent)
    {
      if (tree.empty())
        {
          out << json_value(tree.data());
          return;
        }
      out << "{\n";
      bool first = true;
      for (const auto &[key, child] : tree)
        {
          if (!first)
            out << ",\n";
          first = false;
          out << std::string(indent + 2, ' ') << json_string(key) << ": ";
          write_json(out, child, indent + 2);
        }
      out << '\n' << std::string(indent, ' ') << '}';
    }
  } // namespace



  RunSummary::RunSummary(const MPI_Comm communicator)
    : communicator(communicator)
    , total_timer(communicator, /*sync_lap_times=*/true)
    , stage_start(0.)
    , startup_memory(resident_memory_mib())
  {}



  void
  RunSummary::set_parameters(const ParameterHandler &prm)
  {
    std::stringstream json;
    prm.print_parameters(json, ParameterHandler::ShortJSON);
    boost::property_tree::ptree parameters;
    boost::property_tree::read_json(json, parameters);
    tree.put_child("parameters", parameters);
  }



  void
  RunSummary::end_stage(const std::string &name)
  {
    const double now    = wall_time();
    const double memory = Utilities::MPI::max(peak_memory_mib(), communicator);
    set("stages/" + name + "/wall time [s]", now - stage_start);
    set("stages/" + name + "/peak memory per rank [MiB]", memory);
    stage_start = now;
  }



  double
  RunSummary::wall_time() const
  {
    return total_timer.wall_time();
  }



  std::string
  RunSummary::section(const std::string &path) const
  {
    const auto child =
      tree.get_child_optional(boost::property_tree::ptree::path_type(path, '/'));
    if (!child)
      return "";
    std::ostringstream out;
    boost::property_tree::write_json(out, *child, /*pretty=*/false);
    std::string text = out.str();
    while (!text.empty() && text.back() == '\n')
      text.pop_back();
    return text;
  }



  void
  RunSummary::set_section(const std::string &path, const std::string &json)
  {
    if (json.empty())
      return;
    std::istringstream          in(json);
    boost::property_tree::ptree child;
    boost::property_tree::read_json(in, child);
    tree.put_child(boost::property_tree::ptree::path_type(path, '/'), child);
  }



  void
  RunSummary::write(const std::string &filename)
  {
    const double memory_max = Utilities::MPI::max(peak_memory_mib(), communicator);
    const double memory_sum = Utilities::MPI::sum(peak_memory_mib(), communicator);
    set("resources/wall time [s]", wall_time());
    set("resources/peak memory per rank [MiB]", memory_max);
    set("resources/peak memory all ranks [MiB]", memory_sum);
    set("resources/peak memory above start per rank [MiB]",
        Utilities::MPI::max(peak_memory_mib() - startup_memory,
                            communicator));
    set("resources/MPI ranks", Utilities::MPI::n_mpi_processes(communicator));
    if (Utilities::MPI::this_mpi_process(communicator) == 0)
      write_file_atomically(filename, [&](std::ostream &out) {
        write_json(out, tree, 0);
        out << '\n';
      });
  }
} // namespace mollifem
