#ifndef mollifem_tests_mollifier_mollifier_tests_h
#define mollifem_tests_mollifier_mollifier_tests_h

// Helpers shared by the mollifier tests.

#include <deal.II/base/function.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/numerics/vector_tools.h>

#include <mollifem/mollifier/convolution_operator.h>

#include <vector>

namespace mollifem
{
  namespace testing
  {
    /**
     * Every output of @p convolution applied to the interpolant of
     * @p field on @p dof_handler, at all targets (in row order), on every
     * rank.
     */
    template <int dim>
    std::vector<std::vector<double>>
    mollify_everywhere(const ConvolutionOperator<dim> &convolution,
                       const DoFHandler<dim> &         dof_handler,
                       const Mapping<dim> &            mapping,
                       const Function<dim> &           field,
                       const Targets<dim> &            targets)
    {
      LA::Vector source(dof_handler.locally_owned_dofs(), MPI_COMM_WORLD);
      VectorTools::interpolate(mapping, dof_handler, field, source);
      std::vector<std::vector<double>> result;
      for (unsigned int o = 0; o < convolution.n_outputs(); ++o)
        {
          LA::Vector values;
          convolution.apply(o, source, values);
          std::vector<double> mine;
          for (const auto row : targets.locally_owned_rows)
            mine.push_back(values[row]);
          std::vector<double> all;
          for (const auto &part :
               Utilities::MPI::all_gather(MPI_COMM_WORLD, mine))
            all.insert(all.end(), part.begin(), part.end());
          result.push_back(all);
        }
      return result;
    }
  } // namespace testing
} // namespace mollifem

#endif
