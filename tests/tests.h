#ifndef mollifem_tests_tests_h
#define mollifem_tests_tests_h

// Helpers shared by the library tests. Output goes to std::cout on rank 0
// only; the test harness compares it with the .output file by numdiff.

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

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
     * Taylor remainders of an objective (value(m), gradient(m, g) and, for
     * second order, gauss_newton_vmult(m, v, Hv)) along @p v at steps
     * e_i = @p first_step / 2^i, i < 5:
     * |J(m + e v) - J(m) - e g.v| (order 1), minus e^2/2 v.Hv (order 2).
     * A correct gradient gives remainders that fall at rate 2, a correct
     * Hessian at rate 3.
     */
    template <typename Objective, typename VectorType>
    std::vector<double>
    taylor_remainders(Objective &        objective,
                      const VectorType & m,
                      const VectorType & v,
                      const double       first_step,
                      const unsigned int order)
    {
      const double J0 = objective.value(m);
      VectorType   g  = m;
      objective.gradient(m, g);
      const double gv  = g * v;
      double       vHv = 0.;
      if (order > 1)
        {
          VectorType Hv = m;
          objective.gauss_newton_vmult(m, v, Hv);
          vHv = v * Hv;
        }
      std::vector<double> remainders;
      for (unsigned int i = 0; i < 5; ++i)
        {
          const double e  = first_step / std::pow(2., i);
          VectorType   me = m;
          me.add(e, v);
          remainders.push_back(std::abs(objective.value(me) - J0 - e * gv -
                                        (order > 1 ? 0.5 * e * e * vHv : 0.)));
        }
      return remainders;
    }

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
