#ifndef mollifem_tests_tests_h
#define mollifem_tests_tests_h

// Helpers shared by the library tests. Output goes to std::cout on rank 0
// only; the test harness compares it with the .output file by numdiff.

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <mollifem/inverse/taylor_test.h>
#include <mollifem/mesh/mesh.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace mollifem
{
  namespace testing
  {
    /// std::cout on rank 0, nothing elsewhere.
    inline dealii::ConditionalOStream &
    log()
    {
      static dealii::ConditionalOStream stream(
        std::cout,
        dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0);
      return stream;
    }

    /// A number with @p digits significant digits.
    inline std::string
    format(const double value, const int digits = 3)
    {
      char buffer[64];
      std::snprintf(buffer, sizeof(buffer), "%.*e", digits - 1, value);
      return buffer;
    }

    /// The convergence rate between two errors at mesh sizes h and h/ratio,
    /// rounded to one decimal.
    inline std::string
    rate(const double coarse_error,
         const double fine_error,
         const double ratio = 2.)
    {
      const double r = std::log(coarse_error / fine_error) / std::log(ratio);
      char         buffer[32];
      std::snprintf(buffer, sizeof(buffer), "%.1f", r);
      return buffer;
    }

    inline const char *
    yes_no(const bool value)
    {
      return value ? "true" : "false";
    }

    /**
     * The unit square (boundary ids 0 to 3 on x = 0, x = 1, y = 0, y = 1)
     * refined @p global_refinement times, and once more where @p region
     * holds: a mesh with hanging nodes, distributed over MPI_COMM_WORLD.
     */
    inline std::unique_ptr<dealii::Triangulation<2>>
    square_with_hanging_nodes(const unsigned int global_refinement,
                              const std::string &region = "x < 0.5")
    {
      MeshParameters mesh;
      mesh.grid_arguments            = "0 : 1 : true";
      mesh.initial_global_refinement = global_refinement;
      mesh.refinement_region         = region;
      mesh.local_refinement_steps    = 1;
      auto triangulation = make_triangulation<2>(MPI_COMM_WORLD);
      create_mesh(mesh, *triangulation);
      return triangulation;
    }

    /// The library's Taylor remainders (mollifem/inverse/taylor_test.h).
    using mollifem::taylor_remainders;

    /// "  LABEL remainder rates: r r r r" (successive halvings).
    inline void
    print_rates(const std::string &label, const std::vector<double> &remainders)
    {
      log() << "  " << label << " remainder rates:";
      for (unsigned int i = 1; i < remainders.size(); ++i)
        log() << ' ' << rate(remainders[i - 1], remainders[i]);
      log() << std::endl;
    }
  } // namespace testing
} // namespace mollifem

#endif
