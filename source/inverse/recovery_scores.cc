#include <deal.II/fe/fe_values.h>

#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/grid/grid_tools.h>

#include <mollifem/inverse/recovery_scores.h>

#include <array>

namespace mollifem
{
  template <int dim>
  RecoveryScores
  RecoveryScores::compute(const DoFHandler<dim> &dof_handler,
                          const LA::Vector &     field,
                          const Function<dim> &  truth,
                          const Mapping<dim> &   mapping,
                          const Quadrature<dim> &quadrature,
                          const double           margin)
  {
    const MPI_Comm communicator =
      dof_handler.get_triangulation().get_communicator();
    // The domain's bounding box, over all ranks.
    const BoundingBox<dim> local_box =
      GridTools::compute_bounding_box(dof_handler.get_triangulation());
    Point<dim> lower = local_box.get_boundary_points().first;
    Point<dim> upper = local_box.get_boundary_points().second;
    for (unsigned int d = 0; d < dim; ++d)
      {
        lower[d] = -Utilities::MPI::max(-lower[d], communicator);
        upper[d] = Utilities::MPI::max(upper[d], communicator);
      }
    double extent = upper[0] - lower[0];
    for (unsigned int d = 1; d < dim; ++d)
      extent = std::min(extent, upper[d] - lower[d]);
    const double gap = margin * extent;

    FEValues<dim>       fe_values(mapping,
                            dof_handler.get_fe(),
                            quadrature,
                            update_values | update_quadrature_points |
                              update_JxW_values);
    std::vector<double> values(quadrature.size());
    // Weighted sums per region: w, w a, w e, w a^2, w e^2, w a e,
    // w (a - e)^2.
    std::array<std::array<double, 7>, 2> sums{};
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values.get_function_values(field, values);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const Point<dim> &p = fe_values.quadrature_point(q);
              const double      a = values[q];
              const double      e = truth.value(p);
              const double      w = fe_values.JxW(q);
              bool              interior = true;
              for (unsigned int d = 0; d < dim; ++d)
                interior &= p[d] >= lower[d] + gap && p[d] <= upper[d] - gap;
              const std::array<double, 7> terms = {
                {w, w * a, w * e, w * a * a, w * e * e, w * a * e,
                 w * (a - e) * (a - e)}};
              for (unsigned int r = 0; r < (interior ? 2u : 1u); ++r)
                for (unsigned int c = 0; c < 7; ++c)
                  sums[r][c] += terms[c];
            }
        }

    std::array<std::pair<double, double>, 2> results;
    for (unsigned int r = 0; r < 2; ++r)
      {
        std::array<double, 7> s;
        for (unsigned int c = 0; c < 7; ++c)
          s[c] = Utilities::MPI::sum(sums[r][c], communicator);
        const double mean_a   = s[1] / s[0];
        const double mean_e   = s[2] / s[0];
        const double var_a    = s[3] / s[0] - mean_a * mean_a;
        const double var_e    = s[4] / s[0] - mean_e * mean_e;
        const double cov      = s[5] / s[0] - mean_a * mean_e;
        results[r].first      = cov / std::sqrt(std::max(var_a * var_e, 1e-300));
        results[r].second     = std::sqrt(s[6] / std::max(s[4], 1e-300));
      }
    RecoveryScores scores;
    scores.correlation             = results[0].first;
    scores.relative_error          = results[0].second;
    scores.correlation_interior    = results[1].first;
    scores.relative_error_interior = results[1].second;
    return scores;
  }



  template RecoveryScores
  RecoveryScores::compute<1>(const DoFHandler<1> &,
                             const LA::Vector &,
                             const Function<1> &,
                             const Mapping<1> &,
                             const Quadrature<1> &,
                             const double);
  template RecoveryScores
  RecoveryScores::compute<2>(const DoFHandler<2> &,
                             const LA::Vector &,
                             const Function<2> &,
                             const Mapping<2> &,
                             const Quadrature<2> &,
                             const double);
  template RecoveryScores
  RecoveryScores::compute<3>(const DoFHandler<3> &,
                             const LA::Vector &,
                             const Function<3> &,
                             const Mapping<3> &,
                             const Quadrature<3> &,
                             const double);
  template <int dim>
  RecoveryScores
  RecoveryScores::compute(const CoefficientField<dim> &q,
                          const DoFHandler<dim> &      dof_handler,
                          const Function<dim> &        truth,
                          const Mapping<dim> &         mapping,
                          const double                 margin)
  {
    const MPI_Comm communicator = dof_handler.get_communicator();
    LA::Vector owned(dof_handler.locally_owned_dofs(), communicator);
    q.interpolate(dof_handler, owned);
    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
    LA::Vector ghosted(dof_handler.locally_owned_dofs(), relevant, communicator);
    ghosted = owned;
    return compute(dof_handler,
                   ghosted,
                   truth,
                   mapping,
                   QGauss<dim>(dof_handler.get_fe().degree + 2),
                   margin);
  }



  template RecoveryScores
  RecoveryScores::compute<1>(const CoefficientField<1> &,
                             const DoFHandler<1> &,
                             const Function<1> &,
                             const Mapping<1> &,
                             const double);
  template RecoveryScores
  RecoveryScores::compute<2>(const CoefficientField<2> &,
                             const DoFHandler<2> &,
                             const Function<2> &,
                             const Mapping<2> &,
                             const double);
  template RecoveryScores
  RecoveryScores::compute<3>(const CoefficientField<3> &,
                             const DoFHandler<3> &,
                             const Function<3> &,
                             const Mapping<3> &,
                             const double);



  void
  RecoveryScores::add_to(RunSummary &summary, const std::string &section) const
  {
    summary.set(section + "/correlation", correlation);
    summary.set(section + "/correlation interior", correlation_interior);
    summary.set(section + "/relative L2 error", relative_error);
    summary.set(section + "/relative L2 error interior", relative_error_interior);
  }
} // namespace mollifem
