#ifndef mollifem_tests_driver_run_prm_h
#define mollifem_tests_driver_run_prm_h

// Shared by the driver tests that run several studies: write a parameter
// file, run the driver on it with its screen output captured, and read the
// run's summary.json.

#include <deal.II/base/exceptions.h>
#include <deal.II/base/mpi.h>

#include <mollifem/study/driver.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace mollifem
{
  namespace testing
  {
    /**
     * Run the driver on @p prm (the parameter file's text, without subsection
     * Output, which is added: results in @p directory, no timings, VTU files
     * only if @p write_vtu), with its screen output captured in @p screen
     * and the command-line @p options (for example --resume: then the
     * directory is kept); returns the driver's exit code.
     */
    inline int
    run_prm(const std::string &             prm,
            const std::string &             directory,
            const bool                      write_vtu,
            std::string &                   screen,
            const std::vector<std::string> &options = {})
    {
      const std::string file = directory + ".prm";
      if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
        {
          // A resumed run continues in the directory it left.
          if (options.empty())
            std::filesystem::remove_all(directory);
          std::ofstream(file) << prm << "subsection Output\n  set Directory = "
                              << directory << "\n  set Write VTU = "
                              << (write_vtu ? "true" : "false")
                              << "\n  set Print timings = false\nend\n";
        }
      MPI_Barrier(MPI_COMM_WORLD);

      std::vector<std::string> arguments = {"mollifem", file};
      arguments.insert(arguments.end(), options.begin(), options.end());
      std::vector<char *>      argv;
      for (auto &a : arguments)
        argv.push_back(a.data());
      // Both streams: the driver reports errors on std::cerr.
      std::ostringstream captured;
      auto *const        old       = std::cout.rdbuf(captured.rdbuf());
      auto *const        old_error = std::cerr.rdbuf(captured.rdbuf());
      const int code = run_driver(argv.size(), argv.data(), MPI_COMM_WORLD);
      std::cout.rdbuf(old);
      std::cerr.rdbuf(old_error);
      // Rank 0 writes the run's files: the others read them only once it
      // is done.
      MPI_Barrier(MPI_COMM_WORLD);
      screen = captured.str();
      return code;
    }

    /// As above, without VTU files, and returning the run's summary; a
    /// failed run throws with the screen output.
    inline boost::property_tree::ptree
    run_prm(const std::string &             prm,
            const std::string &             directory,
            std::string &                   screen,
            const std::vector<std::string> &options = {})
    {
      const int code = run_prm(prm, directory, false, screen, options);
      AssertThrow(code == 0,
                  dealii::ExcMessage("the driver failed:\n" + screen));
      boost::property_tree::ptree summary;
      boost::property_tree::read_json(directory + "/summary.json", summary);
      // Every rank has read it before the next run's rank 0 removes the
      // directory.
      MPI_Barrier(MPI_COMM_WORLD);
      return summary;
    }

    /// As above, without the screen output.
    inline boost::property_tree::ptree
    run_prm(const std::string &prm, const std::string &directory)
    {
      std::string screen;
      return run_prm(prm, directory, screen);
    }

    /// The prm of the small B2 cases of the coefficient-representation
    /// tests: steady heat on 16 x 16 cells with three sources, a Gaussian
    /// bump in k, log transform, 1% noise on a 41 x 41 grid from the mesh
    /// refined once more, a network of two hidden layers of 10; the
    /// coefficient as @p representation.
    inline std::string
    heat_b2_prm(const std::string &representation)
    {
      return "subsection Mesh\n  set Initial global refinement = 4\nend\n"
             "subsection Coefficient\n  set Log transform = true\n"
             "  set Ground truth = 1 + 0.5*exp(-((x-0.3)^2 + (y-0.6)^2)/0.05)\n"
             "  set Representation = " +
             representation +
             "\n"
             "  subsection Neural network\n    set Hidden layers = 10, 10\n"
             "  end\nend\n"
             "subsection Model\n  subsection Heat\n"
             "    set Source = 1 ; 10*x ; 10*y\n  end\nend\n"
             "subsection Observations\n  set Grid points = 41\n"
             "  set Noise level = 0.01\n  set Additional refinement = 1\n"
             "  set Write files = false\nend\n";
    }

    /// Column @p column (0: iteration) of every line of a stage 2 history
    /// file (iteration,objective,misfit,regularization,gradient_norm,
    /// step_norm,correlation,...).
    inline std::vector<double>
    history_column(const std::string &file, const unsigned int column)
    {
      std::ifstream in(file);
      AssertThrow(in.good(), dealii::ExcMessage("cannot read " + file));
      std::string line;
      std::getline(in, line); // header
      std::vector<double> values;
      while (std::getline(in, line))
        {
          std::istringstream fields(line);
          std::string        field;
          for (unsigned int i = 0; i <= column; ++i)
            std::getline(fields, field, ',');
          values.push_back(std::stod(field));
        }
      AssertThrow(!values.empty(), dealii::ExcMessage(file + " is empty"));
      return values;
    }

    /// The correlation in the first and the last line of a stage 2 history
    /// file.
    inline std::pair<double, double>
    first_and_last_correlation(const std::string &file)
    {
      const std::vector<double> correlations = history_column(file, 6);
      return {correlations.front(), correlations.back()};
    }

    /// The line of @p screen that contains @p text, or "(none)".
    inline std::string
    line_containing(const std::string &screen, const std::string &text)
    {
      const std::size_t at = screen.find(text);
      if (at == std::string::npos)
        return "(none)";
      const std::size_t begin = screen.rfind('\n', at);
      const std::size_t start = (begin == std::string::npos) ? 0 : begin + 1;
      return screen.substr(start, screen.find('\n', at) - start);
    }

    /// The whole text of @p file ("" if it cannot be read).
    inline std::string
    text_of(const std::string &file)
    {
      std::ifstream in(file);
      return std::string((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
    }

    /// Whether each of @p files is in directories @p a and @p b, not empty,
    /// and identical byte for byte.
    inline bool
    same_files(const std::string &a, const std::string &b,
               const std::vector<std::string> &files)
    {
      for (const std::string &file : files)
        {
          const std::string text = text_of(a + "/" + file);
          if (text.empty() || text != text_of(b + "/" + file))
            return false;
        }
      return true;
    }

    /// Whether summaries @p a and @p b both have every entry of @p paths,
    /// equal to 12 digits.
    inline bool
    same_entries(const boost::property_tree::ptree &a,
                 const boost::property_tree::ptree &b,
                 const std::vector<std::string> &   paths)
    {
      for (const std::string &path : paths)
        {
          const boost::property_tree::ptree::path_type at(path, '/');
          if (!a.get_child_optional(at) || !b.get_child_optional(at) ||
              std::abs(a.get<double>(at) - b.get<double>(at)) >
                1e-12 * std::abs(a.get<double>(at)))
            return false;
        }
      return true;
    }

    /// What stop_and_resume() found.
    struct Resumed
    {
      /// The uninterrupted run's summary.
      boost::property_tree::ptree full;
      /// The stopped run's and the resumed run's screen output.
      std::string stopped_screen, resumed_screen;
      /// The resumed run's files and summary entries are the uninterrupted
      /// run's.
      bool same = false;
    };

    /**
     * Run @p prm uninterrupted in directory results-full; run
     * @p stopping_prm (the same with 'Stop after checkpoints') in
     * results-part and resume it there with @p prm; compare the two runs'
     * @p files (same_files()) and summary @p entries (same_entries()).
     */
    inline Resumed
    stop_and_resume(const std::string &             prm,
                    const std::string &             stopping_prm,
                    const std::vector<std::string> &files,
                    const std::vector<std::string> &entries)
    {
      Resumed result;
      result.full = run_prm(prm, "results-full");
      run_prm(stopping_prm, "results-part", false, result.stopped_screen);
      const auto resumed =
        run_prm(prm, "results-part", result.resumed_screen, {"--resume"});
      result.same = same_files("results-full", "results-part", files) &&
                    same_entries(result.full, resumed, entries);
      return result;
    }

    /// How often @p pattern occurs in @p text.
    inline unsigned int
    occurrences(const std::string &text, const std::string &pattern)
    {
      unsigned int n = 0;
      for (std::size_t at = text.find(pattern); at != std::string::npos;
           at = text.find(pattern, at + 1))
        ++n;
      return n;
    }

    /// The number at @p path ("stage 2/correlation") of a summary.
    inline double
    get(const boost::property_tree::ptree &summary, const std::string &path)
    {
      return summary.get<double>(
        boost::property_tree::ptree::path_type(path, '/'));
    }
  } // namespace testing
} // namespace mollifem

#endif
